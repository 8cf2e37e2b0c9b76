"""Building blocks every app of the portal may use: form pieces and the reader of uploaded
spreadsheets. Not a Django app: it holds no models, and it imports Django and third-party
libraries only, never an app of the portal, so using it makes no cycle."""
