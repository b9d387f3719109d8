import aws_cdk as cdk
from chalice.cdk import Chalice


class TwoStack(cdk.Stack):

    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        self.web = Chalice(self, 'Web', source_dir='../runtime')
        mail = Chalice(self, 'Mail', source_dir='../mailer')
        self.web.get_function('Worker')
        mail.get_function('Mailer')
        self.web.get_role('DefaultRole')
