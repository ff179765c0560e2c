# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A throwaway certificate authority and a certificate for 127.0.0.1 it signed, for serving HTTPS in tests.

Clients that trust ``ca.pem`` (``ca_bundle``) verify the emulator; the others refuse it, as they would a stranger.
"""

import datetime
import ipaddress
import os


def self_signed(directory):
    """``(certificate, key, authority)`` paths of PEM files written in ``directory``."""
    from cryptography import x509  # ansible-core's own dependency; only needed for HTTPS
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(common_name):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name('emulator test CA')).issuer_name(name('emulator test CA'))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (x509.CertificateBuilder().subject_name(name('127.0.0.1')).issuer_name(ca.subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]),
                                  critical=False).sign(ca_key, hashes.SHA256()))
    paths = [os.path.join(directory, n) for n in ('server.pem', 'server.key', 'ca.pem')]
    with open(paths[0], 'wb') as handle:
        handle.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(os.open(paths[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'wb') as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    with open(paths[2], 'wb') as handle:
        handle.write(ca.public_bytes(serialization.Encoding.PEM))
    return paths
