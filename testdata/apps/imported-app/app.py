from chalicelib import registry
from chalicelib import views  # noqa: F401  (registers the routes)

app = registry.app


@app.on_sns_message(topic='alerts')
def on_alert(event):
    print(event.message)
