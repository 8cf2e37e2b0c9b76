# Source this to run pytest by hand with the same variables as `make test`.
export DEBUG=false SECRET_KEY=test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG \
  ALLOWED_HOSTS=localhost,127.0.0.1,testserver SECURE_SSL_REDIRECT=false \
  DATABASE_URL=postgres://kungsor_ledarskap:kungsor_ledarskap@127.0.0.1:5432/kungsor_ledarskap \
  CELERY_BROKER_URL=redis://127.0.0.1:6379/15 EMAIL_URL=smtp://127.0.0.1:1 LOG_LEVEL=WARNING
