using System.IO.Compression;
using System.Security.Cryptography;

namespace Weft.Storage;

/// <summary>A write-only stream that encodes what passes through it as <see cref="BlobCodec.Encode"/>
/// encodes text that is not secret (Brotli past the threshold, when that makes it smaller), and takes
/// its SHA-256 on the way, without holding it whole: only what stays under the threshold, and the
/// compressed bytes, are kept. A definition of a million tasks is 20 MB of JSON and a few hundred KB
/// compressed.</summary>
internal sealed class StreamedBlob(int compressionThreshold) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly MemoryStream _head = new();
    private readonly byte[] _scratch = new byte[64 * 1024];
    private MemoryStream? _compressed;
    private BrotliEncoder _encoder;
    private long _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position { get => _length; set => throw new NotSupportedException(); }

    /// <summary>The encoded bytes and how (null when compression did not make them smaller: then the
    /// caller encodes the text again the ordinary way), with the lowercase hex SHA-256 of the bytes written.</summary>
    public byte[]? Finish(out BlobFlags flags, out string sha256)
    {
        sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
        flags = BlobFlags.None;
        if (_compressed is null)
        {
            return _head.ToArray();
        }

        Compress([], final: true);
        if (_compressed.Length >= _length)
        {
            return null;
        }

        flags = BlobFlags.Brotli;
        return _compressed.ToArray();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _length += buffer.Length;
        if (_compressed is not null)
        {
            Compress(buffer, final: false);
        }
        else if (_length <= compressionThreshold)
        {
            _head.Write(buffer);
        }
        else
        {
            // Past the threshold: from now on everything goes through the encoder, what was held first.
            _compressed = new MemoryStream();
            _encoder = new BrotliEncoder(BlobCodec.BrotliQuality, BlobCodec.BrotliWindow);
            Compress(_head.GetBuffer().AsSpan(0, (int)_head.Length), final: false);
            _head.SetLength(0);
            Compress(buffer, final: false);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            _encoder.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Compress(ReadOnlySpan<byte> source, bool final)
    {
        while (true)
        {
            var status = _encoder.Compress(source, _scratch, out var consumed, out var written, final);
            _compressed!.Write(_scratch, 0, written);
            source = source[consumed..];
            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                throw new InvalidOperationException("the Brotli encoder refused its input");
            }

            if (status != System.Buffers.OperationStatus.DestinationTooSmall && source.IsEmpty)
            {
                return;
            }
        }
    }
}
