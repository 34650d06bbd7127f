from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse


class SignInRequiredMiddleware:
    """Deny by default: anonymous users go to sign-in (the API answers 401); users who have not
    passed the second factor go to the MFA step. Views opt out with ``@public``/``@mfa_exempt``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "haven_public", False) or request.path.startswith(settings.STATIC_URL):
            return None
        is_api = request.path.startswith("/api/")
        user = request.user
        if not user.is_authenticated:
            if is_api:
                return JsonResponse({"detail": "Sign in required"}, status=401)
            return redirect_to_login(request.get_full_path())
        if not user.is_verified():
            if getattr(view_func, "haven_mfa_exempt", False):
                return None
            if is_api:
                return JsonResponse({"detail": "Second factor required"}, status=401)
            return redirect_to_login(request.get_full_path(), login_url="accounts:verify")
        return None
