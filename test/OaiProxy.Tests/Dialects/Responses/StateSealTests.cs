using System.Text;
using OaiProxy.Dialects.Responses;

namespace OaiProxy.Tests.Dialects.Responses;

public sealed class StateSealTests
{
    private static readonly byte[] Plain = Encoding.UTF8.GetBytes("""{"blocks":["sig"]}""");

    [Fact]
    public void WithoutAConfiguredSecret_TheGeneratedSecretFileSeals_SoAnotherProcessWithTheSameFileOpens()
    {
        var file = new byte[32];
        file[0] = 7;

        var token = StateSeal.For(null, null, () => file).Seal(Plain);

        Assert.Equal(Plain, StateSeal.For(null, null, () => (byte[])file.Clone()).Open(token));
        Assert.Null(StateSeal.For(null, null, () => new byte[32]).Open(token));
        Assert.Null(StateSeal.For("a-configured-state-key", null, () => file).Open(token));
    }

    [Fact]
    public void TheStateKeyWins_ThenTheMasterKey_AndTheFileIsNotRead()
    {
        byte[] Unread() => throw new InvalidOperationException("The generated secret was read.");

        var byStateKey = StateSeal.For("state-key-0123456789", "master-key-0123456789", Unread).Seal(Plain);
        var byMasterKey = StateSeal.For(null, "master-key-0123456789", Unread).Seal(Plain);

        Assert.Equal(Plain, new StateSeal("state-key-0123456789").Open(byStateKey));
        Assert.Equal(Plain, new StateSeal("master-key-0123456789").Open(byMasterKey));
        Assert.Null(new StateSeal("master-key-0123456789").Open(byStateKey));
    }
}
