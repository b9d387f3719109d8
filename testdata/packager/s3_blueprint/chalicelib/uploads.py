from chalice import Blueprint

uploads = Blueprint(__name__)

# Chalice cannot package S3 notifications for CloudFormation.


@uploads.on_s3_event(bucket='uploads')
def handle_upload(event):
    pass
