from chalice import Chalice

app = Chalice(app_name='routes')


@app.route('/')
def index():
    return {'hello': 'world'}


@app.route('/items', methods=['GET', 'POST'])
def items():
    return []


@app.route('/items/{item_id}', methods=['PUT'], name='ignored_for_routes')
def item(item_id):
    return {'id': item_id}
