# The image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
# Pango, HarfBuzz and a font for WeasyPrint (the steering group's PDF).
RUN apt-get update && apt-get install -y --no-install-recommends gettext postgresql-client \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 triad
WORKDIR /app

COPY pyproject.toml ./
COPY config ./config
COPY pilots ./pilots
COPY cases ./cases
COPY workshops ./workshops
COPY dashboards ./dashboards
RUN pip install --no-cache-dir .
COPY . .
# Static files and compiled translations are built into the image, never at start-up.
RUN DJANGO_SECRET_KEY=build-only-$(python -c 'import secrets;print(secrets.token_hex(32))') \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://build:6379/0 \
    DJANGO_ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput \
    && python manage.py compilemessages --ignore='.venv/*' -v0
RUN mkdir -p /app/var/media && chown -R triad /app/var
USER triad
EXPOSE 8000
# Serves only: migrations are the release step (`make release`, docker compose's `release`
# service), run once per deploy before the web instances start, never on each start.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
