from chalice import Chalice

from chalicelib.routes import register_routes

app = Chalice(app_name='helper-routes')
register_routes(app)
