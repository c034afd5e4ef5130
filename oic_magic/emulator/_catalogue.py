"""Fixed vocabulary of the seeded data: OIC's adapter catalogue, names and error texts.

Kept apart from the generator so that ``_data.py`` reads as the recipe and this
module as the pantry.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Adapter:
    """One entry of OIC's adapter catalogue as the emulator knows it."""

    name: str
    display_name: str
    roles: tuple[str, ...]
    policies: tuple[str, ...]
    url_property: str
    url_template: str
    vendor: str = "Oracle"
    agent: bool = False
    weight: int = 1


ADAPTERS: tuple[Adapter, ...] = (
    Adapter(
        "rest",
        "REST",
        ("SOURCE", "TARGET", "SOURCE_AND_TARGET"),
        (
            "BASIC_AUTH",
            "OAUTH_CLIENT_CREDENTIALS",
            "OAUTH_RESOURCE_OWNER_PASSWORD_CREDENTIALS",
            "NONE",
        ),
        "connectionUrl",
        "https://api.{host}.example.com/v{n}",
        weight=8,
    ),
    Adapter(
        "soap",
        "SOAP",
        ("SOURCE", "TARGET", "SOURCE_AND_TARGET"),
        ("USERNAME_PASSWORD_TOKEN", "BASIC_AUTH", "NONE"),
        "targetWSDLURL",
        "https://ws.{host}.example.com/services/Service{n}?wsdl",
        weight=3,
    ),
    Adapter(
        "ftp",
        "FTP",
        ("TARGET",),
        ("FTP_SERVER_ACCESS_POLICY", "NONE"),
        "ftpServerHost",
        "sftp.{host}.example.com",
        weight=3,
    ),
    Adapter(
        "atpdatabase",
        "Oracle Autonomous Transaction Processing",
        ("TARGET",),
        ("JDBC_OVER_SSL",),
        "serviceName",
        "{host}_high",
        weight=3,
    ),
    Adapter(
        "adwdatabase",
        "Oracle Autonomous Data Warehouse",
        ("TARGET",),
        ("JDBC_OVER_SSL",),
        "serviceName",
        "{host}dw_medium",
    ),
    Adapter(
        "erp",
        "Oracle ERP Cloud",
        ("SOURCE", "TARGET", "SOURCE_AND_TARGET"),
        ("USERNAME_PASSWORD_TOKEN", "OAUTH_RESOURCE_OWNER_PASSWORD_CREDENTIALS"),
        "erpServiceCatalogURL",
        "https://fa-{host}.fa.ocs.oraclecloud.com",
        weight=5,
    ),
    Adapter(
        "hcm",
        "Oracle HCM Cloud",
        ("SOURCE", "TARGET", "SOURCE_AND_TARGET"),
        ("USERNAME_PASSWORD_TOKEN",),
        "hcmServiceCatalogURL",
        "https://hcm-{host}.fa.ocs.oraclecloud.com",
        weight=3,
    ),
    Adapter(
        "salesforce",
        "Salesforce",
        ("SOURCE", "TARGET", "SOURCE_AND_TARGET"),
        ("OAUTH_AUTHORIZATION_CODE_CREDENTIALS", "USERNAME_PASSWORD_TOKEN"),
        "sfdcInstanceURL",
        "https://{host}.my.salesforce.com",
        vendor="Salesforce",
        weight=3,
    ),
    Adapter(
        "servicenow",
        "ServiceNow",
        ("SOURCE", "TARGET"),
        ("BASIC_AUTH",),
        "instanceURL",
        "https://{host}.service-now.com",
        vendor="ServiceNow",
        weight=2,
    ),
    Adapter(
        "ociobjectstorage",
        "OCI Object Storage",
        ("TARGET",),
        ("OCI_SIGNATURE_VERSION1",),
        "namespace",
        "{host}ns",
        weight=2,
    ),
    Adapter(
        "oracledb",
        "Oracle Database",
        ("TARGET",),
        ("USERNAME_PASSWORD_TOKEN",),
        "host",
        "db-{host}.corp.example.com",
        agent=True,
        weight=2,
    ),
    Adapter(
        "kafka",
        "Apache Kafka",
        ("SOURCE", "TARGET"),
        ("SASL_PLAIN_OVER_SSL", "NONE"),
        "bootstrapServers",
        "kafka-{host}.example.com:9092",
        vendor="Apache",
    ),
    Adapter(
        "streaming",
        "OCI Streaming Service",
        ("SOURCE", "TARGET"),
        ("OCI_SIGNATURE_VERSION1",),
        "bootstrapServers",
        "cell-1.streaming.{host}.oci.oraclecloud.com:9092",
    ),
    Adapter(
        "netsuite",
        "Oracle NetSuite",
        ("SOURCE", "TARGET"),
        ("TOKEN_BASED_AUTHENTICATION", "USERNAME_PASSWORD_TOKEN"),
        "wsdlUrl",
        "https://{host}.suitetalk.api.netsuite.com/wsdl",
    ),
    Adapter(
        "ebusiness",
        "Oracle E-Business Suite",
        ("SOURCE", "TARGET"),
        ("USERNAME_PASSWORD_TOKEN",),
        "ebsUrl",
        "https://ebs-{host}.corp.example.com:4443",
        agent=True,
    ),
    Adapter(
        "sap",
        "SAP",
        ("SOURCE", "TARGET"),
        ("USERNAME_PASSWORD_TOKEN",),
        "applicationServer",
        "sap-{host}.corp.example.com",
        vendor="SAP",
        agent=True,
    ),
    Adapter(
        "mysql",
        "MySQL",
        ("TARGET",),
        ("USERNAME_PASSWORD_TOKEN",),
        "host",
        "mysql-{host}.example.com",
        vendor="Oracle",
        agent=True,
    ),
    Adapter(
        "fileadapter",
        "File",
        ("SOURCE", "TARGET"),
        ("NONE",),
        "directory",
        "/u01/data/{host}",
        agent=True,
    ),
    Adapter(
        "workday",
        "Workday",
        ("TARGET",),
        ("USERNAME_PASSWORD_TOKEN",),
        "tenantUrl",
        "https://wd3-impl-services1.workday.com/ccx/service/{host}",
        vendor="Workday",
    ),
    Adapter(
        "shopify",
        "Shopify Commerce",
        ("SOURCE", "TARGET"),
        ("OAUTH_CLIENT_CREDENTIALS",),
        "shopUrl",
        "https://{host}.myshopify.com",
        vendor="Shopify",
    ),
)

#: policies whose connection carries a password-type property
SECRET_PROPERTY = {
    "BASIC_AUTH": ("username", "password"),
    "USERNAME_PASSWORD_TOKEN": ("username", "password"),
    "FTP_SERVER_ACCESS_POLICY": ("username", "password"),
    "JDBC_OVER_SSL": ("username", "walletPassword"),
    "OAUTH_CLIENT_CREDENTIALS": ("clientId", "clientSecret"),
    "OAUTH_RESOURCE_OWNER_PASSWORD_CREDENTIALS": ("username", "password"),
    "OAUTH_AUTHORIZATION_CODE_CREDENTIALS": ("clientId", "clientSecret"),
    "SASL_PLAIN_OVER_SSL": ("username", "password"),
    "TOKEN_BASED_AUTHENTICATION": ("consumerKey", "tokenSecret"),
    "OCI_SIGNATURE_VERSION1": ("tenancyOCID", "privateKey"),
}

SYSTEMS = (
    "ERP",
    "HCM",
    "CRM",
    "SCM",
    "WMS",
    "PAYROLL",
    "BILLING",
    "SHOP",
    "HR",
    "FIN",
    "PLM",
    "MDM",
    "EDI",
    "BANK",
    "TMS",
    "POS",
    "LMS",
    "IOT",
    "DWH",
    "CPQ",
)
OBJECTS = (
    "ORDERS",
    "INVOICES",
    "EMPLOYEES",
    "CUSTOMERS",
    "SUPPLIERS",
    "ITEMS",
    "SHIPMENTS",
    "PAYMENTS",
    "JOURNALS",
    "RECEIPTS",
    "ASSETS",
    "CONTRACTS",
    "TICKETS",
    "PRICES",
    "STOCK",
    "ACCOUNTS",
    "EXPENSES",
    "TIMECARDS",
    "LEADS",
    "CASES",
)
VERBS = (
    "SYNC",
    "CREATE",
    "UPDATE",
    "IMPORT",
    "EXPORT",
    "PUBLISH",
    "RECONCILE",
    "NOTIFY",
    "LOAD",
    "ARCHIVE",
)
ENVIRONMENTS = ("PROD", "TEST", "DEV", "UAT", "SANDBOX")
#: The word an adapter contributes to a connection identifier, as people name them.
ADAPTER_WORDS = {
    "atpdatabase": "ATP",
    "adwdatabase": "ADW",
    "ociobjectstorage": "OBJECT_STORAGE",
    "oracledb": "DB",
    "ebusiness": "EBS",
    "fileadapter": "FILE",
    "servicenow": "SERVICENOW",
}
#: Words shown in capitals in display names (acronyms), the others in title case.
ACRONYMS = frozenset(
    {
        "ERP",
        "HCM",
        "CRM",
        "SCM",
        "WMS",
        "HR",
        "FIN",
        "PLM",
        "MDM",
        "EDI",
        "TMS",
        "POS",
        "LMS",
        "IOT",
        "DWH",
        "CPQ",
        "ATP",
        "ADW",
        "DB",
        "EBS",
        "REST",
        "SOAP",
        "FTP",
        "SAP",
        "UAT",
        "GL",
        "UOM",
    }
)
LOOKUP_TOPICS = (
    "COUNTRY_CODES",
    "CURRENCY_MAP",
    "UOM_MAP",
    "STATUS_MAP",
    "TAX_CODES",
    "PAYMENT_TERMS",
    "LEGAL_ENTITIES",
    "COST_CENTERS",
    "WAREHOUSES",
    "CARRIERS",
    "JOB_CODES",
    "DEPARTMENTS",
    "GL_ACCOUNTS",
    "PRICE_LISTS",
    "ERROR_CODES",
)
PEOPLE = (
    "ada.lovelace",
    "grace.hopper",
    "alan.turing",
    "edsger.dijkstra",
    "barbara.liskov",
    "ken.thompson",
    "margaret.hamilton",
    "donald.knuth",
    "frances.allen",
    "john.backus",
)

#: (style, pattern, patternDescription, share)
STYLES = (
    ("FREEFORM_MAPMYDATA", "Orchestration", "App Driven Orchestration", 55),
    ("FREEFORM_SCHEDULED", "Orchestration", "Scheduled Orchestration", 25),
    ("MAPMYDATA", "Map Data", "Basic Routing", 8),
    ("PUBLISH", "Publish To OIC", "Publish To OIC", 6),
    ("SUBSCRIBE", "Subscribe To OIC", "Subscribe To OIC", 6),
)

ERRORS = (
    ("OIC-REST-500", "Internal Server Error returned by the target REST endpoint.", True),
    ("OIC-TIMEOUT", "Read timed out while waiting for the response of the invoke.", True),
    ("OIC-401", "Unauthorized: the target application rejected the credentials.", False),
    ("ORA-00001", "ORA-00001: unique constraint (APP.PK_ORDERS) violated", False),
    ("CASDK-0033", "Received a SOAP fault while invoking the endpoint target.", True),
    (
        "OIC-MAPPER",
        "XPath evaluation failed: the required element is missing in the payload.",
        False,
    ),
    ("OIC-FTP-550", "550 Permission denied while writing the file to the FTP server.", True),
    ("OIC-HTTP-429", "429 Too Many Requests returned by the target application.", True),
)
