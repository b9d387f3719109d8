# Test app for the S3 failure case when the handler lives in a blueprint: the error
# must point at the blueprint's decorator, not at app.py.
from chalice import Chalice

from chalicelib.uploads import uploads

app = Chalice(app_name='s3_blueprint')
app.register_blueprint(uploads)
