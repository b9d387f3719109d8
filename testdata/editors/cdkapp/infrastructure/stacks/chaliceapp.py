import os

from aws_cdk import Stack
from chalice.cdk import Chalice
from constructs import Construct

RUNTIME_SOURCE_DIR = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), os.pardir, 'runtime')


class ChaliceApp(Stack):

    def __init__(self, scope: Construct, id: str, **kwargs) -> None:
        super().__init__(scope, id, **kwargs)
        self.chalice = Chalice(
            self, 'ChaliceApp', source_dir=RUNTIME_SOURCE_DIR,
            stage_config={'environment_variables': {'STAGE': id}})
        handler = self.chalice.get_resource("")
        handler.add_property_override('Timeout', 30)
