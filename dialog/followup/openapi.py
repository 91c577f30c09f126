"""The OpenAPI 3 description of /api/v1/ (served at /api/v1/openapi.json)."""

from __future__ import annotations

from ..models import ActionStatus, ContactRole, DialogueStatus, FindingKind, Party


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}


def _enum(cls) -> dict:
    return {"type": "string", "enum": [m.value for m in cls]}


def _object(props: dict) -> dict:
    return {"type": "object", "required": list(props), "properties": props}


DIALOGUE = _object(
    {
        "id": INT,
        "year": INT,
        "status": _enum(DialogueStatus),
        "starts_at": DATETIME,
        "ends_at": DATETIME,
        "held_at": _nullable(DATETIME),
        "documented_at": _nullable(DATETIME),
        "care_home_id": INT,
        "home": STR,
        "municipality_id": INT,
        "municipality": STR,
        "region": STR,
        "health_centre_id": _nullable(INT),
        "health_centre": _nullable(STR),
        "full_representation": _nullable(BOOL),
    }
)
FINDING = _object(
    {
        "id": INT,
        "dialogue_id": INT,
        "year": INT,
        "care_home_id": INT,
        "home": STR,
        "municipality": STR,
        "kind": _enum(FindingKind),
        "area": STR,
        "plan_area": _nullable(STR),
        "concerns": _enum(Party),
        "description": STR,
        "spread_as_lesson": BOOL,
        "escalate": BOOL,
    }
)
ACTION = _object(
    {
        "id": INT,
        "dialogue_id": INT,
        "finding_id": _nullable(INT),
        "year": INT,
        "care_home_id": INT,
        "home": STR,
        "municipality": STR,
        "description": STR,
        "responsible_party": _enum(Party),
        "responsible_role": _nullable(_enum(ContactRole)),
        "due_date": _nullable(DATE),
        "status": _enum(ActionStatus),
        "overdue": BOOL,
        "completed_at": _nullable(DATETIME),
    }
)
COUNTS = {"type": "object", "additionalProperties": INT}
SUMMARY = {
    "type": "object",
    "required": ["period", "coverage", "representation", "findings", "actions", "trends"],
    "properties": {
        "period": _object(
            {
                "year": INT,
                "half": _nullable(INT),
                "municipality_id": _nullable(INT),
                "health_centre_id": _nullable(INT),
            }
        ),
        "coverage": _object(
            {
                k: INT
                for k in (
                    "active_homes",
                    "booked",
                    "planned",
                    "held",
                    "documented",
                    "cancelled",
                    "homes_without",
                )
            }
        ),
        "representation": {
            "type": "object",
            "required": ["held", "full", "share_full"],
            "properties": {
                "held": INT,
                "full": INT,
                "share_full": _nullable({"type": "number"}),
                "sides": {"type": "array", "items": {"type": "object"}},
                "missing": {"type": "array", "items": {"type": "object"}},
            },
        },
        "findings": {
            "type": "object",
            "required": ["total", "by_kind"],
            "properties": {
                "total": INT,
                "by_kind": COUNTS,
                "by_area": {"type": "array", "items": {"type": "object"}},
                "by_plan_area": {"type": "array", "items": {"type": "object"}},
            },
        },
        "actions": {
            "type": "object",
            "required": ["totals", "by_party"],
            "properties": {
                "totals": COUNTS,
                "by_party": {"type": "array", "items": {"type": "object"}},
                "as_of": DATE,
            },
        },
        "recurring": {"type": "array", "items": {"type": "object"}},
        "trends": {"type": "array", "items": {"type": "object"}},
    },
}
ERROR = _object({"error": STR, "status": INT})


def _page_of(ref: str) -> dict:
    return _object(
        {
            "items": {"type": "array", "items": {"$ref": ref}},
            "page": INT,
            "per_page": INT,
            "total": INT,
            "pages": INT,
            "next": _nullable({"type": "string"}),
        }
    )


def _param(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


FILTERS = [
    _param(
        "year",
        "Kalenderår (standard: innevarande år).",
        {"type": "integer", "minimum": 1990, "maximum": 2200},
    ),
    _param(
        "half", "Halvår: 1 = januari–juni, 2 = juli–december.", {"type": "integer", "enum": [1, 2]}
    ),
    _param(
        "municipality_id", "Bara en kommun.", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
    ),
    _param(
        "health_centre_id",
        "Bara en vårdcentral.",
        {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    ),
]
PAGING = [
    _param("page", "Sida, från 1.", {"type": "integer", "minimum": 1, "maximum": 100000}),
    _param(
        "per_page", "Rader per sida (högst 500).", {"type": "integer", "minimum": 1, "maximum": 500}
    ),
]
ERRORS = {
    "400": {
        "description": "Ogiltig parameter",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    },
    "401": {
        "description": "API-nyckel saknas eller är ogiltig",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    },
    "404": {
        "description": "Kommunen eller vårdcentralen finns inte (eller syns inte för dig)",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    },
}


def _list_op(summary: str, ref: str, op_id: str) -> dict:
    return {
        "get": {
            "operationId": op_id,
            "summary": summary,
            "parameters": FILTERS + PAGING,
            "responses": {
                "200": {
                    "description": "En sida rader",
                    "content": {"application/json": {"schema": _page_of(ref)}},
                },
                **ERRORS,
            },
        }
    }


def openapi_document(server_url: str) -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Patientsäkerhetsdialog SÄBO – uppföljnings-API",
            "version": "1.0.0",
            "description": "Skrivskyddat API för uppföljning. Varje nyckel ser samma "
            "uppgifter som sin ägare i webbgränssnittet. Inga "
            "patientuppgifter finns i systemet.",
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/dialogues": _list_op("Dialoger", "#/components/schemas/Dialogue", "listDialogues"),
            "/findings": _list_op("Fynd", "#/components/schemas/Finding", "listFindings"),
            "/actions": _list_op("Åtgärder", "#/components/schemas/Action", "listActions"),
            "/summary": {
                "get": {
                    "operationId": "summary",
                    "summary": "Sammanställda siffror för perioden",
                    "parameters": FILTERS,
                    "responses": {
                        "200": {
                            "description": "Siffrorna",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Summary"}
                                }
                            },
                        },
                        **ERRORS,
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Personlig API-nyckel från sidan Mitt konto.",
                }
            },
            "schemas": {
                "Dialogue": DIALOGUE,
                "Finding": FINDING,
                "Action": ACTION,
                "Summary": SUMMARY,
                "Error": ERROR,
            },
        },
    }
