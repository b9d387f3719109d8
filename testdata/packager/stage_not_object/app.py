from chalice import Chalice

app = Chalice(app_name='stage-not-object')


@app.route('/')
def index():
    return {}
