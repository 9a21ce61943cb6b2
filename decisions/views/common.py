"""What the decisions views share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from projects.views.common import add_errors


def form_page(request, form, *, title: str, back: str, submit: str):
    return render(request, "decisions/form.html", {"form": form, "title": title, "back": back, "submit": submit})


def errors_as_messages(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields and form.fields[field].label else ""
        messages.error(request, (f"{label}: " if label else "") + " ".join(errors))


def post_action(request, form, action, *, success: str, back: str):
    """A one-form POST action (status change, link, ...): run the service, then back to the page with a message
    (or the form's errors as messages; nothing changed)."""
    if form.is_valid():
        try:
            action(**form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(back)
    errors_as_messages(request, form)
    return redirect(back)


def save_form(request, form, action, *, success: str):
    """A full-page form: run the service and go to the saved row's page, or None to show the form's errors."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = action(**form.cleaned_data)
    except ValidationError as error:
        add_errors(form, error)
        return None
    messages.success(request, success.format(obj=obj))
    return redirect(obj)
