import os

import aws_cdk as cdk
from chalice.cdk import Chalice

RUNTIME = os.path.join(os.path.dirname(__file__), os.pardir, 'runtime')


class WebStack(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        table_name = cdk.Fn.ref('Table')
        self.chalice = Chalice(
            self, 'WebApp', source_dir=RUNTIME,
            stage_config={
                'lambda_memory_size': 'big',
                'environment_variables': {'TABLE': table_name},
                'lambda_functions': {
                    'worker': {'lambda_timeout': 120},
                },
            },
        )
        api = self.chalice.get_resource('APIHandler')
        role = self.chalice.get_role('DefaultRole')
        worker = self.chalice.get_function('Workr')
