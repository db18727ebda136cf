"""The platform's open API, version 1: read-only, anonymous, published content only.

Mounted at ``/api/v1/``, it describes itself at ``/api/v1/openapi.json`` and in a
documentation page at ``/api/v1/docs``, whose scripts and styles are served from the
platform's own static files. A new domain adds its router here.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, ValidationError

from icc.api import marketplace, personal
from icc.api.auth import MissingScope, TooManyRequests, Unauthorised
from icc.api.caching import public_read
from icc.api.schemas import ParameterError, Problem

DESCRIPTION = """\
Read-only access to what the programmes publish, for anyone: no account, no key.

**Content.** Only what the reviewers published appears, and only deployments their city
confirmed count. Anything else answers 404, exactly like an id that never existed, and
so does a programme whose marketplace has published nothing.
Field names are in English; codes (technology functions, OASC MIMs, SDG targets, cost
models, SPDX licences) come as stored, each with an English label. `url` is an item's
address in this API, `page_url` its public page.

**Pages.** Lists take `limit` (1 to 100, 25 by default) and `offset`, and answer with
`count` (all the items matching), `next` and `previous` (addresses, or null) and
`results`.

**Caching.** Every answer carries a strong `ETag`, the hash of its body; send it back in
`If-None-Match` and an unchanged answer is a `304 Not Modified` without a body.
Answers may be kept for a minute (`Cache-Control: public, max-age=60`).

**Errors.** A parameter out of range or of the wrong kind answers 400 with each refused
parameter and why; what does not exist or is not published answers 404. Both are JSON.

**Personal access tokens.** The operations tagged *personal* read what a signed-in person
may open, for programs acting in their name. Make a token on the account's API tokens
page and send it as `Authorization: Bearer <secret>`. A missing, unknown, revoked or
expired token answers 401; an operation outside the token's scopes answers 403 naming
the scope; past the token's rate (600 requests an hour by default) the answer is 429
with `Retry-After`. Every request is answered with the owner's rights at that moment.
These answers are `Cache-Control: private, no-cache` and still carry an `ETag`.
"""


class Documentation(Swagger):
    """Swagger UI from the platform's static files, set up by a script of its own rather than
    inline, so the page needs nothing the Content-Security-Policy does not already allow."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return render(request, self.template, {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)})


api = NinjaAPI(
    title="ICC platform open API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=Documentation(),
    docs_decorator=lambda view: require_safe(public_read(view)),
)
api.add_decorator(public_read, mode="view")
api.add_router("", marketplace.router)
api.add_router("", personal.router)


@api.exception_handler(ValidationError)
def refused_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [_parameter_error(error) for error in exc.errors]
    problem = Problem(detail="Some parameters were refused.", errors=errors)
    return api.create_response(request, problem.model_dump(), status=400)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    problem = Problem(detail=str(exc) or "Not found.", errors=[])
    return api.create_response(request, problem.model_dump(), status=404)


@api.exception_handler(AuthenticationError)
@api.exception_handler(Unauthorised)
def unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    problem = Problem(detail="A valid access token is needed: Authorization: Bearer <secret>.", errors=[])
    response = api.create_response(request, problem.model_dump(), status=401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(MissingScope)
def missing_scope(request: HttpRequest, exc: MissingScope) -> HttpResponse:
    problem = Problem(detail=f"This token lacks the scope {exc.scope}.", errors=[])
    return api.create_response(request, problem.model_dump(), status=403)


@api.exception_handler(TooManyRequests)
def too_many_requests(request: HttpRequest, exc: TooManyRequests) -> HttpResponse:
    problem = Problem(detail=f"Too many requests with this token; try again in {exc.retry_after} seconds.", errors=[])
    response = api.create_response(request, problem.model_dump(), status=429)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _parameter_error(error: dict[str, Any]) -> ParameterError:
    # ninja locates an error as ("query" | "path", <schema argument>?, <field>).
    where = [str(part) for part in error.get("loc", ())]
    location = where[0] if where else ""
    parameter = where[-1] if len(where) > 1 else ""
    return ParameterError(location=location, parameter=parameter, message=str(error.get("msg", "Not valid.")))
