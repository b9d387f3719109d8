# Test app for a config error: environment variable values must be strings, and
# chalice fails with a bare TypeError while putting them into os.environ.
from chalice import Chalice

app = Chalice(app_name='env_not_string')


@app.route('/')
def index():
    return {'hello': 'world'}
