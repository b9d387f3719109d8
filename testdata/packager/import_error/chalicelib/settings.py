import os

TABLE = os.environ['APP_TABLE_NAME']
