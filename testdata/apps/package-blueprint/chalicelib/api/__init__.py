from chalice import Blueprint

api = Blueprint(__name__)

from . import users  # noqa: E402,F401  (views register themselves on api)
from . import maintenance  # noqa: E402,F401
