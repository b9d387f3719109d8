from chalicelib.core import create_app
from chalicelib.plugins import PLUGINS

app = create_app(PLUGINS)


@app.route('/')
def index():
    return {'plugins': len(PLUGINS)}
