from chalice import Chalice

app = Chalice(app_name='broken')


@app.route('/')
def index(:
    return {}
