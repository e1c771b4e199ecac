"""The file routes: GET /api/v1/get-upload-file and POST /api/v1/openai-assistants-file/download.

Both stream a file of the chat's storage with no Content-Type, as Flowise 3.1.4 does; neither
needs an API key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import Response

from ..files import is_unsafe_file_name
from ..flows import find_flow
from ..wire import error_response, html_response
from .common import demo_state, is_uuid, json_body

if TYPE_CHECKING:
    from starlette.requests import Request


def _serve(request: Request, flow_id: object, chat_id: object, name: object) -> Response:
    if not (isinstance(flow_id, str) and isinstance(chat_id, str) and isinstance(name, str)):
        return html_response("Invalid file path", 500)
    if not flow_id or not chat_id or not name:
        return html_response("Invalid file path", 500)
    if not is_uuid(flow_id):
        return html_response("Invalid chatflowId format", 400)
    if is_unsafe_file_name(name):
        return html_response("Invalid path characters detected in filename", 400)
    if find_flow(flow_id) is None:
        return error_response(404, f"Chatflow {flow_id} not found")
    data = demo_state(request).store.files.get(flow_id, chat_id, name)
    if data is None:
        return error_response(500, f"File {name} not found")
    disposition = (
        'attachment; filename="{}"'.format(name.replace('"', ""))
        if name.isascii()
        else "attachment"
    )
    headers = {"Content-Disposition": disposition}
    return Response(content=data, status_code=200, headers=headers, media_type=None)


async def get_upload_file(request: Request) -> Response:
    query = request.query_params
    return _serve(request, query.get("chatflowId"), query.get("chatId"), query.get("fileName"))


async def assistants_file_download(request: Request) -> Response:
    body, invalid = await json_body(request)
    if invalid is not None:
        return invalid
    return _serve(request, body.get("chatflowId"), body.get("chatId"), body.get("fileName"))
