import os

import aws_cdk as cdk
from chalice.cdk import Chalice

RUNTIME = os.path.join(os.path.dirname(__file__), os.pardir, 'runtime')


class SlowStack(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        self.chalice = Chalice(
            self, 'SlowApp', source_dir=RUNTIME,
            stage_config={'lambda_memory_size': 256},
        )
        api = self.chalice.get_resource('APIHandler')
        hourly = self.chalice.get_function('Hourly')
