import os

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb

from chalice.cdk import Chalice

# chalice.cdk.Chalice packages in-process and writes .chalice/deployments/ into the
# source tree, so the tests and the benchmark point it at a scratch copy of ../runtime
# through CHALICE_EXAMPLE_SOURCE_DIR.
RUNTIME_SOURCE_DIR = os.environ.get('CHALICE_EXAMPLE_SOURCE_DIR') or os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), os.pardir, 'runtime')


class ChaliceApp(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        self.dynamodb_table = self._create_ddb_table()
        self.chalice = Chalice(
            self, 'ChaliceApp', source_dir=RUNTIME_SOURCE_DIR,
            stage_config={
                'environment_variables': {
                    'APP_TABLE_NAME': self.dynamodb_table.table_name
                }
            }
        )
        self.dynamodb_table.grant_read_write_data(
            self.chalice.get_role('DefaultRole')
        )

    def _create_ddb_table(self):
        dynamodb_table = dynamodb.Table(
            self, 'AppTable',
            partition_key=dynamodb.Attribute(
                name='PK', type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(
                name='SK', type=dynamodb.AttributeType.STRING
            ),
            removal_policy=cdk.RemovalPolicy.DESTROY)
        cdk.CfnOutput(self, 'AppTableName',
                      value=dynamodb_table.table_name)
        return dynamodb_table
