from chalice import Chalice

app = Chalice(app_name='basic')


@app.route('/')
def index()
    return {'hello': 'world'}
