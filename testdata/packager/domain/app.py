from chalice import Chalice

app = Chalice(app_name='loggroup')


@app.route('/')
def index():
    return {'hello': 'world'}
