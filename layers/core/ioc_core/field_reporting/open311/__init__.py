"""Open311 GeoReport v2 wire format: rendering (XML / Spark JSON) and form parsing.

Pure Python, no AWS or HTTP framework: handlers split the format off the path, parse the form,
call the service, map the result with ``presenter`` and render it with these helpers.
"""

from ioc_core.field_reporting.open311 import presenter
from ioc_core.field_reporting.open311.forms import (
    MAX_BODY_BYTES,
    MAX_MEDIA_BYTES,
    MAX_MEDIA_FILES,
    MEDIA_FIELDS,
    FormError,
    OpenForm,
    UploadedFile,
    format_datetime,
    parse_datetime,
    parse_form,
    strip_html,
)
from ioc_core.field_reporting.open311.wire import (
    CONTENT_TYPES,
    DEFAULT_LIST_FIELDS,
    JSON_CONTENT_TYPE,
    XML_CONTENT_TYPE,
    Element,
    UnsupportedFormat,
    content_type_for,
    render,
    render_errors,
    render_list,
    render_object,
    split_format,
)

__all__ = [
    "CONTENT_TYPES",
    "DEFAULT_LIST_FIELDS",
    "JSON_CONTENT_TYPE",
    "MAX_BODY_BYTES",
    "MAX_MEDIA_BYTES",
    "MAX_MEDIA_FILES",
    "MEDIA_FIELDS",
    "XML_CONTENT_TYPE",
    "Element",
    "FormError",
    "OpenForm",
    "UnsupportedFormat",
    "UploadedFile",
    "content_type_for",
    "format_datetime",
    "parse_datetime",
    "parse_form",
    "presenter",
    "render",
    "render_errors",
    "render_list",
    "render_object",
    "split_format",
    "strip_html",
]
