using System.Security.Cryptography;

namespace Weft.Storage.Tests;

public sealed class EncryptionKeyTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "weft-key-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Parse_Base64Of32Bytes_ReturnsTheBytes()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        Assert.Equal(key, EncryptionKey.Parse(" " + Convert.ToBase64String(key) + "\n", "test"));
    }

    [Theory]
    [InlineData("not base64!!", "is not valid base64")]
    [InlineData("AAAA", "is 3 bytes; expected 32")]
    public void Parse_BadKey_SaysWhatIsWrong(string text, string message)
    {
        var e = Assert.Throws<WeftStoreException>(() => EncryptionKey.Parse(text, "WEFT_ENCRYPTION_KEY"));

        Assert.Contains("WEFT_ENCRYPTION_KEY", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void FromFile_RawOrBase64_ReturnsTheKey()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        File.WriteAllBytes(_file, key);
        Assert.Equal(key, EncryptionKey.FromFile(_file));

        File.WriteAllText(_file, Convert.ToBase64String(key) + "\n");
        Assert.Equal(key, EncryptionKey.FromFile(_file));
    }

    [Fact]
    public void FromFile_Missing_NamesTheFile()
    {
        var e = Assert.Throws<WeftStoreException>(() => EncryptionKey.FromFile(_file));

        Assert.Contains(_file, e.Message);
    }
}
