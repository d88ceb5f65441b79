"""Real files made in the tests: a minimal PDF written by hand, one signed with a throwaway
self-signed certificate (cryptography + pyHanko), PNG, JPEG, Word and Excel files."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from docx import Document
from openpyxl import Workbook
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.core.threads import in_worker_thread

PDF_TEXT = "Don khieu nai cua ong Nguyen Van Hung"


def minimal_pdf(text: str = PDF_TEXT) -> bytes:
    """A one-page PDF with a line of text, its cross-reference table computed."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def signing_identity(
    common_name: str = "Nguyễn Văn An", organisation: str = "Thanh tra tỉnh Đồng Tháp"
) -> tuple[signers.SimpleSigner, bytes]:
    """A pyHanko signer with a fresh self-signed certificate, and that certificate (PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    asn1_certificate = asn1_x509.Certificate.load(
        certificate.public_bytes(serialization.Encoding.DER)
    )
    asn1_key = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1_certificate,
        signing_key=asn1_key,
        cert_registry=SimpleCertificateStore.from_certs([asn1_certificate]),
    )
    return signer, certificate.public_bytes(serialization.Encoding.PEM)


def signed_pdf(signer: signers.SimpleSigner, text: str = PDF_TEXT) -> bytes:
    """``minimal_pdf(text)`` signed by ``signer`` in the field "Signature1"."""
    writer = IncrementalPdfFileWriter(io.BytesIO(minimal_pdf(text)))
    result = in_worker_thread(
        signers.sign_pdf,
        writer,
        signers.PdfSignatureMetadata(field_name="Signature1"),
        signer=signer,
    )
    return result.getvalue()


def tampered(pdf: bytes, text: str = PDF_TEXT) -> bytes:
    """The PDF with one byte of its signed text changed (structure intact)."""
    position = pdf.index(text.encode())
    changed = bytearray(pdf)
    changed[position] = ord("X")
    return bytes(changed)


def png() -> bytes:
    """A 1×1 white PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """The opening of a JFIF JPEG image (start of image and its APP0 header) and its end."""
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\xff\xd9"


def docx(text: str = "Biên bản làm việc với ông Nguyễn Văn Hùng") -> bytes:
    """A Word document with one paragraph."""
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx() -> bytes:
    """An Excel workbook with one row."""
    workbook = Workbook()
    workbook.active.append(["Họ tên", "Số tiền bồi thường"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
