using KernelBuild.Tasks.Output;

namespace KernelBuild.Tasks.Tests.Output;

[TestClass]
public sealed class PtxParametersTests
{
    // As NVRTC 11.8 wrote it for saxpy(real a, const float* x, float* y, INDEX_T n, geo::Point p, float4 v, const float* const q, unsigned char c).
    private const string Ptx = """
        .visible .entry saxpy(
        	.param .f32 saxpy_param_0,
        	.param .u64 saxpy_param_1,
        	.param .u64 saxpy_param_2,
        	.param .u64 saxpy_param_3,
        	.param .align 8 .b8 saxpy_param_4[16],
        	.param .align 16 .b8 saxpy_param_5[16],
        	.param .u64 saxpy_param_6,
        	.param .u8 saxpy_param_7
        )
        {
        	ret;
        }
        .visible .entry empty(

        )
        {
        	ret;
        }
        """;

    [TestMethod]
    public void Find_GivesEachParametersSizeAndAlignment()
    {
        List<PtxParameter> parameters = PtxParameters.Find(Ptx)["saxpy"];

        Assert.AreEqual("4/4 8/8 8/8 8/8 16/8 16/16 8/8 1/1", string.Join(" ", parameters.Select(p => p.Size + "/" + p.Alignment)));
    }

    [TestMethod]
    public void Find_EntryWithoutParameters_HasAnEmptyList()
    {
        Assert.AreEqual(0, PtxParameters.Find(Ptx)["empty"].Count);
    }

    [TestMethod]
    public void Find_PointerWithAddressSpaceAnnotations_IsEightBytes()
    {
        const string ptx = ".entry k(\n .param .u64 .ptr .global .align 4 k_param_0\n)\n{\n}\n";

        Assert.AreEqual(8, PtxParameters.Find(ptx)["k"].Single().Size);
    }
}
