"""Thumbs up / down feedback on answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..wire import error_response, json_response
from .common import demo_state, json_body, management_denied

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

RATINGS = ("THUMBS_UP", "THUMBS_DOWN")
FIELDS = ("chatflowid", "chatId", "messageId", "rating", "content")


async def create_feedback(request: Request) -> Response:
    body, invalid = await json_body(request)
    if invalid is not None:
        return invalid
    store = demo_state(request).store
    message_id = str(body.get("messageId") or "")
    message = store.find_message(message_id)
    if message is None:
        return error_response(404, f"Message with ID {message_id} not found")
    if body.get("rating") not in RATINGS:
        return error_response(
            400, f"Invalid rating {body.get('rating')!r}: use THUMBS_UP or THUMBS_DOWN"
        )
    row = store.add_feedback(
        {
            "chatflowid": body.get("chatflowid")
            or request.path_params.get("flow_id")
            or message["chatflowid"],
            "chatId": body.get("chatId") or message["chatId"],
            "messageId": message_id,
            "rating": body["rating"],
            "content": body.get("content"),
        }
    )
    saved = {field: row[field] for field in FIELDS}
    return json_response({**saved, "id": row["id"], "createdDate": row["createdDate"]})


async def update_feedback(request: Request) -> Response:
    body, invalid = await json_body(request)
    if invalid is not None:
        return invalid
    feedback_id = request.path_params["feedback_id"]
    row = demo_state(request).store.find_feedback(feedback_id)
    if row is None:
        return error_response(404, f"Feedback with ID {feedback_id} not found")
    if "rating" in body:
        if body["rating"] not in RATINGS:
            return error_response(
                400, f"Invalid rating {body['rating']!r}: use THUMBS_UP or THUMBS_DOWN"
            )
        row["rating"] = body["rating"]
    if "content" in body:
        row["content"] = body["content"]
    return json_response(row)


async def list_feedback(request: Request) -> Response:
    if denied := management_denied(request):
        return denied
    params = request.query_params
    rows = demo_state(request).store.feedback(
        request.path_params["flow_id"],
        chat_id=params.get("chatId") or None,
        descending=(params.get("sortOrder") or "").lower() == "desc",
    )
    return json_response(rows)
