"""The queries behind a site summary. Each module reads one part of it for every site given,
with grouped aggregates, so a build costs the same few queries for one site or three hundred."""
