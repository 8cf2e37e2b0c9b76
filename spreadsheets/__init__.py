"""Reading the spreadsheets people upload (CSV or XLSX, as Swedish Excel writes them), shared
by the staff import (`accounts`) and the sick-leave import (`reports`). Not a Django app: it
holds no models and knows no app, so every app may use it."""
