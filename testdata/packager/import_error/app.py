from chalice import Chalice

from chalicelib.settings import TABLE

app = Chalice(app_name='basic')


@app.route('/')
def index():
    return {'table': TABLE}
