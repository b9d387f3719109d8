import os

from chalice import Chalice

from chalicelib.jobs import jobs_bp


def setup_app():
    app = Chalice(app_name='factory')
    app.debug = os.environ.get('DEBUG') == '1'
    app.register_blueprint(jobs_bp, name_prefix='jobs_')

    @app.route('/')
    def index():
        return {'ok': True}

    @app.schedule('rate(1 hour)')
    def hourly_report(event):
        return None

    return app
