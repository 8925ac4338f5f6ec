#!/usr/bin/env python3
"""Checks gettext catalogs against the strings the code marks (a .pot that
xgettext just extracted): every msgid (with its context and plural) is in
every catalog, translated (not empty, not fuzzy), with as many plural forms as
the catalog's Plural-Forms header says, and with the same placeholders as the
English: printf arguments (%s, %1$s, ...; the set of arguments used) and the
{name} fields of insight rules. A catalog entry that the code no longer marks
is reported too. Standard library only.

usage: catalog_check.py FRESH.pot CATALOG.po...
       catalog_check.py --msgids FILE.pot   (the context, msgid and plural of each entry)"""
import re
import sys


def unquote(s):
    body = s.strip()[1:-1]
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), body)


def parse(path):
    """Entries as dicts: ctx, id, plural, str (index -> text), flags, obsolete."""
    entries = []
    for block in open(path, encoding='utf-8').read().split('\n\n'):
        e = {'ctx': None, 'id': None, 'plural': None, 'str': {}, 'flags': set(), 'line': 0}
        key = None
        for line in block.strip('\n').split('\n'):
            if line.startswith('#,'):
                e['flags'] |= {f.strip() for f in line[2:].split(',')}
                continue
            if line.startswith('#~'):
                e['obsolete'] = True
                continue
            if line.startswith('#') or not line.strip():
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
            if m:
                key, index, text = m.group(1), m.group(2), unquote(m.group(3))
                if key == 'msgctxt':
                    e['ctx'] = text
                elif key == 'msgid':
                    e['id'] = text
                elif key == 'msgid_plural':
                    e['plural'] = text
                else:
                    key = ('str', int(index) if index is not None else 0)
                    e['str'][key[1]] = text
            elif line.startswith('"') and key is not None:
                text = unquote(line)
                if key == 'msgctxt':
                    e['ctx'] += text
                elif key == 'msgid':
                    e['id'] += text
                elif key == 'msgid_plural':
                    e['plural'] += text
                else:
                    e['str'][key[1]] += text
        if e['id'] is not None and not e.get('obsolete'):
            entries.append(e)
    return entries


PRINTF = re.compile(r'%(?:(\d+)\$)?([sd%])')
FIELD = re.compile(r'\{(\w+)\}')


def printf_args(text):
    """The set of argument numbers a printf-style message uses."""
    used, sequential = set(), 0
    for m in PRINTF.finditer(text):
        if m.group(2) == '%':
            continue
        if m.group(1):
            used.add(int(m.group(1)))
        else:
            sequential += 1
            used.add(sequential)
    return used


def check(pot_path, po_paths):
    failures = []
    pot = parse(pot_path)
    wanted = {(e['ctx'], e['id']): e for e in pot if e['id']}
    if not wanted:
        return [f'{pot_path}: no msgid extracted: nothing was checked']
    for po_path in po_paths:
        entries = parse(po_path)
        header = next((e for e in entries if e['id'] == ''), None)
        m = re.search(r'nplurals=(\d+)', header['str'].get(0, '')) if header else None
        if not m:
            failures.append(f'{po_path}: no Plural-Forms header')
            continue
        nplurals = int(m.group(1))
        have = {(e['ctx'], e['id']): e for e in entries if e['id']}
        for key, source in wanted.items():
            name = (f'[{key[0]}] ' if key[0] else '') + repr(key[1][:60])
            e = have.get(key)
            if e is None:
                failures.append(f'{po_path}: lacks {name}')
                continue
            if 'fuzzy' in e['flags']:
                failures.append(f'{po_path}: {name} is fuzzy')
            if e['plural'] != source['plural']:
                failures.append(f'{po_path}: {name} has plural {e["plural"]!r}, the code {source["plural"]!r}')
            forms = nplurals if source['plural'] is not None else 1
            if sorted(e['str']) != list(range(forms)):
                failures.append(f'{po_path}: {name} has forms {sorted(e["str"])}, wants {forms}')
            english = [source['id']] + ([source['plural']] if source['plural'] else [])
            args = set().union(*(printf_args(t) for t in english))
            fields = set().union(*(set(FIELD.findall(t)) for t in english))
            for i, text in e['str'].items():
                if not text.strip():
                    failures.append(f'{po_path}: {name} form {i} is not translated')
                    continue
                if printf_args(text) != args:
                    failures.append(f'{po_path}: {name} form {i} uses placeholders {sorted(printf_args(text))}, '
                                    f'the English {sorted(args)}: {text!r}')
                if set(FIELD.findall(text)) != fields:
                    failures.append(f'{po_path}: {name} form {i} has fields {sorted(set(FIELD.findall(text)))}, '
                                    f'the English {sorted(fields)}: {text!r}')
        for key in have:
            if key not in wanted:
                failures.append(f'{po_path}: {key[1][:60]!r} is no longer marked in the code (msgmerge it away)')
    return failures


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == '--msgids':
        for e in sorted(parse(sys.argv[2]), key=lambda e: (e['ctx'] or '', e['id'])):
            if e['id']:
                print(repr((e['ctx'], e['id'], e['plural'])))
        sys.exit(0)
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    problems = check(sys.argv[1], sys.argv[2:])
    for p in problems[:40]:
        print('catalog_check: ' + p, file=sys.stderr)
    if not problems:
        print(f'catalog_check: {len(sys.argv) - 2} catalogs carry every marked string with its placeholders')
    sys.exit(1 if problems else 0)
