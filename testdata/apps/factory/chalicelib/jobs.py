from chalice import Blueprint

jobs_bp = Blueprint(__name__)


@jobs_bp.on_sqs_message(queue='work-queue')
def drain(event):
    for record in event:
        print(record.body)
