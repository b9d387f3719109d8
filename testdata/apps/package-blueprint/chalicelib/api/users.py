from . import api


@api.route('/users')
def list_users():
    return []
