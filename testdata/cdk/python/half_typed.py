import os
from chalice import cdk as chalice_cdk

try:
    from aws_cdk import core as cdk
except ImportError:
    import aws_cdk as cdk


class HalfTyped(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        self.chalice = chalice_cdk.Chalice(
            self, 'ChaliceApp',
            source_dir=os.path.abspath(os.path.join('..', 'runtime')),
            stage_config={
                'lambda_timeout': 30,
                'environment_variables': {
                    'STAGE': 'dev',
                    '
                },
                'lambda_functions': {'api_handler': {'lambda_memory_size': }},
            }
        )
        self.chalice.get_function('APIHandler')
        self.chalice.add_environment_variable('KEY', 'value', 'APIH
        role = self.chalice.get_role(
