from chalice import Chalice

app = Chalice(app_name='websockets')
app.experimental_feature_flags.update([
    'WEBSOCKETS',
])


@app.on_ws_connect()
def connect(event):
    print('connected', event.connection_id)


@app.on_ws_message()
def message(event):
    app.websocket_api.send(event.connection_id, event.body)


@app.on_ws_disconnect()
def disconnect(event):
    print('gone', event.connection_id)
