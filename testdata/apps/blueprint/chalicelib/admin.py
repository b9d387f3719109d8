from chalice import Blueprint

admin_bp = Blueprint(__name__)


@admin_bp.route('/users')
def list_users():
    return []


@admin_bp.lambda_function()
def cleanup(event, context):
    return {}


@admin_bp.schedule('rate(1 day)', name='nightly')
def nightly_job(event):
    pass
