from chalice import Chalice

from chalicelib.admin import admin_bp
from chalicelib import jobs

app = Chalice(app_name='blueprint')
app.register_blueprint(admin_bp, name_prefix='admin_', url_prefix='/admin')
app.register_blueprint(jobs.bp)


@app.route('/')
def index():
    return {}
