from chalice import Chalice

app = Chalice(app_name='custom-domains')
app.experimental_feature_flags.update(['WEBSOCKETS'])


@app.route('/')
def index():
    return {}


@app.on_ws_message()
def message(event):
    pass
