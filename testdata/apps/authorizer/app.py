from chalice import AuthResponse, Chalice

app = Chalice(app_name='authorizer')


@app.authorizer()
def my_auth(auth_request):
    if auth_request.token == 'allow':
        return AuthResponse(routes=['/'], principal_id='user')
    return AuthResponse(routes=[], principal_id='user')


@app.authorizer(name='custom-auth', ttl_seconds=60)
def second_auth(auth_request):
    return AuthResponse(routes=['*'], principal_id='user')


@app.route('/', authorizer=my_auth)
def index():
    return {'hello': 'world'}


@app.route('/other', authorizer=second_auth)
def other():
    return {}
