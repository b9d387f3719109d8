# Shape of the cdk-chalice documentation example (docs/index.rst): the stage
# config is built by a method and passed by keyword.
import os

from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import core as cdk
import cdk_chalice as cc

WEB_API_SOURCE = os.path.join(os.path.dirname(__file__), os.pardir, 'web-api')


class WebApi(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        self.dynamodb_table = dynamodb.Table(
            self, 'UsersTable',
            partition_key=dynamodb.Attribute(
                name='username', type=dynamodb.AttributeType.STRING))
        self.api_handler_iam_role = iam.Role(
            self, 'ApiHandlerLambdaRole',
            assumed_by=iam.ServicePrincipal('lambda.amazonaws.com'))
        chalice_stage_config = self._create_chalice_stage_config()
        self.chalice = cc.Chalice(
            self, 'WebApi', source_dir=WEB_API_SOURCE,
            stage_config=chalice_stage_config)
        self.rest_api = self.chalice.sam_template.get_resource('RestAPI')
        self.rest_api.tracing_enabled = True

    def _create_chalice_stage_config(self):
        chalice_stage_config = {
            'api_gateway_stage': 'v1',
            'lambda_functions': {
                'api_handler': {
                    'manage_iam_role': False,
                    'iam_role_arn': self.api_handler_iam_role.role_arn,
                    'environment_variables': {
                        'DYNAMODB_TABLE_NAME': self.dynamodb_table.table_name
                    },
                    'lambda_memory_size': 128,
                    'lambda_timeout': 10,
                }
            }
        }

        return chalice_stage_config
