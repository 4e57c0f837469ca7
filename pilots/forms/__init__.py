"""Forms of the pilots app. Every form that offers a site's objects as choices takes `site` and
narrows its querysets to that site, so a choice from another site fails validation."""
