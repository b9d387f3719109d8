def _audit(event, context):
    return {}


def install_audit(app):
    app.lambda_function(name='audit')(_audit)


PLUGINS = [install_audit]
