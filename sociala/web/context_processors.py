"""Values every staff page needs."""

from django.conf import settings


def shell(request):
    return {
        "municipality_name": settings.SOCIALA_MUNICIPALITY_NAME,
        "demo_mode": settings.DEMO_MODE,
    }
