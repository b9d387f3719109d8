import chalice

bp = chalice.Blueprint(__name__)


@bp.on_sns_message(topic='jobs')
def on_job(event):
    pass
