"""Reads mail the way Python's email package reads it, for the differential
test beside this file (python-email.test.ts).

Usage: python3 python-email.py FILE...
Prints one JSON object: each FILE's path mapped to what a reader is shown
of it, {"subject", "from", "text", "attachments"}, or {"error"} when Python
could not read it.

Python parses (email.message_from_bytes with email.policy.default): the
MIME structure, the headers, the transfer encodings and charsets. What is
shown of the parts is what Ephemail shows, the presentation its API
documents, so that a difference found is one of reading, not of layout:

- the text is every text/plain part not marked as an attachment, in order,
  joined by a newline; a message/delivery-status part (the details of a
  bounce) counts as text, its blocks of fields as written;
- a text/html part is the HTML, neither text nor attachment;
- an enclosed message (message/rfc822) is one attachment, unless it is
  marked inline or is the whole message: then its parts are shown;
- a multipart that Python could not split (its boundary missing or never
  found) shows nothing, as its parts are not found;
- every other part is an attachment, named by its file name (or None).

get_body(preferencelist=('plain',)) is not used: it returns one part, where
a reader is shown every text part of a message with several.
"""

import email
import email.policy
import json
import sys


def header_text(message, name):
    value = message[name]
    return '' if value is None else str(value)


def first_mailbox(message):
    header = message['from']
    if header is None or not header.addresses:
        return None
    mailbox = header.addresses[0]
    return {'name': mailbox.display_name, 'address': mailbox.addr_spec}


def delivery_status_text(part):
    # Each block of the status is parsed as a header-only message; its fields
    # are shown as written, a blank line between blocks.
    blocks = part.get_payload()
    return '\n\n'.join('\n'.join(f'{name}: {value}' for name, value in block.raw_items()) for block in blocks)


def read_part(part, shown, whole_message=False):
    content_type = part.get_content_type()
    if content_type.startswith('multipart/'):
        if part.is_multipart():
            for child in part.iter_parts():
                read_part(child, shown)
        return
    if part.is_attachment():
        shown['attachments'].append(part.get_filename())
    elif content_type == 'text/plain':
        shown['texts'].append(part.get_content())
    elif content_type == 'text/html':
        pass
    elif content_type == 'message/delivery-status':
        shown['texts'].append(delivery_status_text(part))
    elif content_type == 'message/rfc822' and (whole_message or part.get_content_disposition() == 'inline'):
        read_part(part.get_content(), shown)
    else:
        shown['attachments'].append(part.get_filename())


def read_message(path):
    with open(path, 'rb') as file:
        message = email.message_from_bytes(file.read(), policy=email.policy.default)
    shown = {'texts': [], 'attachments': []}
    read_part(message, shown, whole_message=True)
    return {
        'subject': header_text(message, 'subject'),
        'from': first_mailbox(message),
        'text': '\n'.join(shown['texts']),
        'attachments': shown['attachments'],
    }


def main(paths):
    readings = {}
    for path in paths:
        try:
            readings[path] = read_message(path)
        except Exception as error:  # noqa: BLE001 -- the test names the message and the error
            readings[path] = {'error': f'{type(error).__name__}: {error}'}
    json.dump(readings, sys.stdout, ensure_ascii=False)


if __name__ == '__main__':
    main(sys.argv[1:])
