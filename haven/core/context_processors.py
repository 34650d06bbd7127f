from django.conf import settings


def haven(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "service_name": settings.HAVEN_SERVICE_NAME,
        "demo": settings.HAVEN_DEMO,
        "user_authority": user.describe_authority() if signed_in else "",
        "can": user.capabilities if signed_in else frozenset(),
    }
