import aws_cdk as cdk
from cdk_chalice import Chalice


class LegacyStack(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        self.chalice = Chalice(
            self, 'WebApp', source_dir='../runtime',
            stage_config={
                'lambda_functions': {
                    'worker': {'lambda_timeout': 120},
                },
            },
        )
        self.chalice.sam_template.get_resource('Worker')
