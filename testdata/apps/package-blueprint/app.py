from chalice import Chalice

from chalicelib.api import api as api_blueprint

app = Chalice(app_name='package-blueprint')
app.register_blueprint(api_blueprint, name_prefix='api_', url_prefix='/v1')
